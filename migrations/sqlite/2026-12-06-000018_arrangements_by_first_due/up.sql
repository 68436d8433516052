-- A Betalingsregeling Rijk takes from the income from its first due date, which may lie after
-- the day it was accepted: the daily samenloop check finds the persons whose arrangement starts
-- taking on a day it checks by that date, never by scanning the table.
CREATE INDEX arrangements_by_first_due ON arrangements (first_due);
