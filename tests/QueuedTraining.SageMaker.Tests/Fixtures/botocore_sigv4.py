"""Signs a request with botocore's SigV4Auth at a fixed time; the reference the C# signer is checked against.

Reads JSON on stdin: method, url, headers (object), body (base64), access_key, secret_key, token (or null),
region, service, timestamp (YYYYmmddTHHMMSSZ). Writes JSON: the signed request's headers.
"""
import base64
import datetime
import json
import sys

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

spec = json.load(sys.stdin)
fixed = datetime.datetime.strptime(spec["timestamp"], "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
# botocore reads the clock through this function; pinning it makes the signature reproducible.
botocore.auth.get_current_datetime = lambda *args, **kwargs: fixed

request = AWSRequest(
    method=spec["method"],
    url=spec["url"],
    headers=spec["headers"],
    data=base64.b64decode(spec["body"]),
)
credentials = Credentials(spec["access_key"], spec["secret_key"], spec.get("token"))
botocore.auth.SigV4Auth(credentials, spec["service"], spec["region"]).add_auth(request)
json.dump({name: value for name, value in request.headers.items()}, sys.stdout)
