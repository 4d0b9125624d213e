"""Write paths: small functions that run inside one transaction and raise `Rejected` on bad input."""
