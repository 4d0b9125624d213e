"""Write paths: small functions run inside one transaction, raising `Rejected` on bad input."""
