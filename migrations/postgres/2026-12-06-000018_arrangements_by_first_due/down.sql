DROP INDEX arrangements_by_first_due;
