# The "next release" of a BOM written by bench_gen_cyclonedx, for the diff
# benchmark: every 20th top-level component (5%) gets its patch version bumped
# (version and purl; the bom-ref is kept, so the graph still holds), every
# 100th is removed together with its nested components and every graph edge
# that names them (1%), and one new component per hundred is added (1%).
def bump: split(".") | .[-1] |= ((tonumber + 1) | tostring) | join(".");
(.components | to_entries) as $all
| ([$all[] | select(.key % 100 == 7) | .value
    | (.["bom-ref"], (.components // [])[]["bom-ref"])]
   | map({(.): true}) | add // {}) as $rm
| .components = [
    $all[]
    | if .key % 100 == 7 then empty
      elif .key % 20 == 3 then
        (.value.version | bump) as $nv
        | .value | .version = $nv | .purl = (.purl | sub("@[^@]*$"; "@" + $nv))
      else .value end
  ] + [
    $all[] | select(.key % 100 == 11) | .value
    | .name = ("new" + .name) | .["bom-ref"] = ("added-" + .["bom-ref"])
    | .purl = (.purl | sub("/pkg-"; "/newpkg-")) | del(.components)
  ]
| .dependencies = [
    .dependencies[] | select($rm[.ref] | not)
    | .dependsOn = [(.dependsOn // [])[] | select($rm[.] | not)]
  ]
