"""The НАДС reviewers' workspace: who completed what, transcripts, the register,
bulk verification and statistics, limited to a reviewer's oblasts, every read
of a person's records logged. Reviewers change nothing."""
