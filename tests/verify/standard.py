"""Verifies a backroom delivery with the official Standard Webhooks library.

stdin: {"secret": "whsec_...", "headers": {...}, "body": "<raw body>"}; exit 0 when valid.
"""
import json
import sys

from standardwebhooks.webhooks import Webhook

case = json.load(sys.stdin)
Webhook(case["secret"]).verify(case["body"], case["headers"])
print("ok")
