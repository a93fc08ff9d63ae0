-- The addresses a login name was tried from, while its failures are counted: during a lock,
-- an address that has not failed may still try (the owner is not locked out by others).
CREATE TABLE login_failure_addresses (
    username TEXT NOT NULL,
    address TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (username, address)
);
