"""The network branch: what to probe (``plan``), the raw probes per layer (``probes``), one
host's probes at once (``host``), their judgement layer by layer (``judge`` with ``layer``,
``judge_dns``, ``judge_tls``, ``judge_http``), Node's own TLS trust (``node``), and the check
that walks every host DNS -> TCP -> TLS -> proxy -> HTTP (``check``).
"""
