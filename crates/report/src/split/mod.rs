//! Splitting table cells that were printed run together (`713000074` is 71|3|0|0|0|0|74) by the table identities.
