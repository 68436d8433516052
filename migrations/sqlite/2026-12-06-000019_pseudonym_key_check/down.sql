DROP TABLE pseudonym_key_check;
