-- Facts about the database as a whole that the application keeps, such as
-- which version of a derived key's rules the stored keys were made with.
CREATE TABLE store_meta (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
