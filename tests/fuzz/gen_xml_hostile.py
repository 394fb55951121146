#!/usr/bin/env python3
"""Write hostile (and a few good) CycloneDX XML documents into a directory.

    python3 tests/fuzz/gen_xml_hostile.py DIR [--big]

Every way of getting a DTD or an entity past a reader that looks at bytes:
internal entities, billion laughs, quadratic blowup, external entities,
parameter entities, an external subset, each spelled in UTF-8 and in UTF-16
(both byte orders, with and without a byte-order mark), and the same
declarations in encodings vigil refuses (UTF-7 as "+ADw-!DOCTYPE", EBCDIC
cp037, UTF-32 both orders with and without a mark, and declared encodings
other than UTF-8 and UTF-16).

File names say what vigil must answer (tests/unit/test_sbom_xml.c and
tests/integration/t1002-sbom-xml-hostile.sh read them):
  hostile-dtd-*  refused: "document type declarations (DTD) are not accepted"
  hostile-enc-*  refused: "... only UTF-8 and UTF-16 are accepted"
  hostile-mix-*  refused: "XML declares encoding 'X' but is written in Y"
  good-*         accepted: one component each (good-cdata-*: two)

The committed seeds in tests/fuzz/corpus/sbom_cyclonedx_xml/ are this
script's output without --big; --big adds the probe's reproductions (an
entity of 50 KB referenced 2,000 times, billion laughs to 10^9), for the
integration test only.
"""
import os
import sys

NS = "http://cyclonedx.org/schema/bom/1.5"


def bom(ref, name="a", extra=""):
    return ('<bom xmlns="%s" version="1"><components>'
            '<component type="library" bom-ref="%s"><name>%s</name>'
            "<version>1.0</version></component>%s</components></bom>\n"
            % (NS, ref, name, extra))


def dtd_cases(big):
    laughs = ['<!ENTITY lol0 "lol">'] + [
        '<!ENTITY lol%d "%s">' % (i, ("&lol%d;" % (i - 1)) * 10) for i in range(1, 10)]
    quad_len, quad_refs = (50000, 2000) if big else (1000, 100)
    cases = {
        "internal-entity": ('<!DOCTYPE bom [<!ENTITY x "expanded">]>', "&x;"),
        "billion-laughs": ("<!DOCTYPE bom [%s]>" % "".join(laughs), "&lol9;"),
        "quadratic": ('<!DOCTYPE bom [<!ENTITY a "%s">]>' % ("A" * quad_len),
                      "&a;" * quad_refs),
        "external-entity": ('<!DOCTYPE bom [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
                            "&x;"),
        "parameter-entity": ('<!DOCTYPE bom [<!ENTITY % p SYSTEM "file:///etc/passwd">'
                             "%p;<!ENTITY % q \"<!ENTITY x 'y'>\">%q;]>", "&x;"),
        "external-subset": ('<!DOCTYPE bom SYSTEM "file:///etc/passwd">', "a"),
        "doctype-only": ("<!DOCTYPE bom>", "a"),
    }
    return cases


def decl(enc):
    return '<?xml version="1.0" encoding="%s"?>\n' % enc if enc else '<?xml version="1.0"?>\n'


def write(d, name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def main():
    args = [a for a in sys.argv[1:] if a != "--big"]
    big = "--big" in sys.argv[1:]
    if len(args) != 1:
        sys.exit("usage: gen_xml_hostile.py DIR [--big]")
    out = args[0]
    os.makedirs(out, exist_ok=True)
    sfx = "-big" if big else ""

    utf16 = {
        "utf16le-bom": lambda s: b"\xff\xfe" + s.encode("utf-16-le"),
        "utf16be-bom": lambda s: b"\xfe\xff" + s.encode("utf-16-be"),
        "utf16le": lambda s: s.encode("utf-16-le"),
        "utf16be": lambda s: s.encode("utf-16-be"),
    }
    utf32 = {
        "utf32le-bom": lambda s: b"\xff\xfe\x00\x00" + s.encode("utf-32-le"),
        "utf32be-bom": lambda s: b"\x00\x00\xfe\xff" + s.encode("utf-32-be"),
        "utf32le": lambda s: s.encode("utf-32-le"),
        "utf32be": lambda s: s.encode("utf-32-be"),
    }

    for case, (dtd, ref) in dtd_cases(big).items():
        body = dtd + bom(ref)
        # the quadratic and billion-laughs documents of --big only in UTF-8 and UTF-7
        if big and case not in ("quadratic", "billion-laughs"):
            continue
        write(out, "hostile-dtd-%s-utf8%s.xml" % (case, sfx), (decl("UTF-8") + body).encode())
        write(out, "hostile-dtd-%s-utf8-nodecl%s.xml" % (case, sfx), body.encode())
        for enc, f in utf16.items():
            write(out, "hostile-dtd-%s-%s%s.xml" % (case, enc, sfx), f(decl("UTF-16") + body))
        # UTF-7: the probe's spelling, '<' of each declaration as +ADw-
        seven = (decl("UTF-7") + body).replace("<!", "+ADw-!")
        write(out, "hostile-enc-%s-utf7%s.xml" % (case, sfx), seven.encode("ascii"))
        if big:
            continue
        write(out, "hostile-enc-%s-cp037.xml" % case, (decl("IBM037") + body).encode("cp037"))
        for enc, f in utf32.items():
            write(out, "hostile-enc-%s-%s.xml" % (case, enc), f(decl("UTF-32") + body))
        write(out, "hostile-enc-%s-latin1.xml" % case,
              (decl("ISO-8859-1") + body).encode("latin-1"))
    if big:
        return

    # declared encodings other than UTF-8 and UTF-16, with no DTD at all
    for enc in ("utf-7", "UTF-32", "Shift_JIS", "ISO-8859-1", "US-ASCII", "UTF8", ""):
        name = enc.lower().replace("_", "-") or "empty"
        write(out, "hostile-enc-declared-%s.xml" % name, (decl(enc) + bom("a")).encode()
              if enc else ('<?xml version="1.0" encoding=""?>\n' + bom("a")).encode())
    # a UTF-7 byte-order mark, then the document
    write(out, "hostile-enc-utf7-mark.xml", b"+/v8-" + (decl("UTF-7") + bom("a")).encode())
    # labels that contradict the bytes
    write(out, "hostile-mix-utf8-says-utf16.xml", (decl("UTF-16") + bom("a")).encode())
    write(out, "hostile-mix-utf16le-says-utf8.xml",
          b"\xff\xfe" + (decl("UTF-8") + bom("a")).encode("utf-16-le"))
    write(out, "hostile-mix-utf16be-says-utf16le.xml",
          b"\xfe\xff" + (decl("UTF-16LE") + bom("a")).encode("utf-16-be"))

    # good: UTF-16 in each form, UTF-8 with a lower-case label, and
    # "<!DOCTYPE" / "<!ENTITY" as text (a comment, CDATA) which is no declaration
    good = decl("UTF-16") + bom("pkg:npm/a@1.0", "a\u00e9\U0001F600")
    for enc, f in utf16.items():
        write(out, "good-%s.xml" % enc, f(good))
    write(out, "good-utf8-lowercase.xml", (decl("utf-8") + bom("a")).encode())
    write(out, "good-cdata-doctype-text.xml",
          (decl("UTF-8") + "<!-- <!DOCTYPE bom [<!ENTITY x 'y'>]> -->\n" +
           bom("a", "<![CDATA[<!DOCTYPE x [<!ENTITY y 'z'>]>]]>",
               '<component type="library" bom-ref="b"><name>&lt;!ENTITY b&gt;</name>'
               "</component>")).encode())


if __name__ == "__main__":
    main()
