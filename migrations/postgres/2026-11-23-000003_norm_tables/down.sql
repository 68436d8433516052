DROP TABLE norm_parameters;
DROP TABLE norm_tables;
