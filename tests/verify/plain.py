"""The plain check a simple receiver writes: HMAC-SHA256 of the raw body.

stdin: {"secret": "whsec_...", "headers": {...}, "body": "<raw body>"}; exit 0 when valid.
"""
import hashlib
import hmac
import json
import sys

case = json.load(sys.stdin)
expected = "sha256=" + hmac.new(case["secret"].encode(), case["body"].encode(), hashlib.sha256).hexdigest()
if not hmac.compare_digest(expected, case["headers"]["x-webhook-signature"]):
    sys.exit("signature mismatch")
print("ok")
