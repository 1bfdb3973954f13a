"""Everything that writes certificates, batches, keys and status goes through these modules.

- batches: `certificate_batch_issue` (the entry point for result approval: it records the batch and,
  after commit, queues `batch_tasks.issue_certificate_batch(batch_id)`), `certificate_batch_rerun`,
  `certificates_issue_for_filing`;
- issuance: `certificate_batch_run`, the batch's run that the task calls;
- rendering: the PDFs, rendered and signed (PAdES); status: suspension, reinstatement, revocation;
  keys: signing keys; reissue: a key revoked and its certificates re-issued under the active key;
- verification: the log of verification lookups.
"""
