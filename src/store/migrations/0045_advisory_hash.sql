-- 0045: the content hash of each stored OSV record (issue 15 item 2): the
-- hex SHA-256 of the record's bytes as the feed gave them (a file, or one
-- element of a JSON array), NULL for records of other formats. A re-import
-- skips a record whose bytes hash to a stored one without parsing it
-- (src/vuln/vulndb.c, osv_read_path_known); the index answers that lookup
-- without reading the records.
ALTER TABLE advisories ADD COLUMN content_hash TEXT;
CREATE INDEX advisories_hash ON advisories (source, content_hash);
