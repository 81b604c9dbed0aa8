"""The shared kit of the CRM apps: small helpers every app may use.

It is the lowest layer of `crm`: nothing here imports another `crm` app (or
`billing_saas`), so any app, including the shared ones, can import it."""
