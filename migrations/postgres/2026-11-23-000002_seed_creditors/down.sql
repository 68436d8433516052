DELETE FROM creditors;
