"""Services of the rules app: everything that writes its tables goes through these modules.

``rulesets`` (eligibility rule sets), ``evaluation`` (evaluating archives against them), ``honours``
(enterprise honours and the 破格B quota) and ``integrity`` (integrity records). Called from
applications/ (self-check, submission, recommendation), from the admin and from ``manage.py
eligibility``; the evaluation itself is pure (rules/eligibility/). Domain exceptions are in
``rules.eligibility.exceptions``."""
