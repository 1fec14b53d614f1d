# Certificates (issuing, register, verification) arrive with their own issue.
