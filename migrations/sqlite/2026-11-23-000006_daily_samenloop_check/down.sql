DROP INDEX declared_arrangements_by_end;
DROP INDEX declared_arrangements_by_start;
DROP INDEX attachments_by_end;
DROP INDEX attachments_by_start;
DROP TABLE samenloop_checks;
