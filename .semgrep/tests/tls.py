import ssl
import urllib.request

import httpx
import requests
import urllib3


def examples(url, body):
    # ruleid: sanzhang-tls-verification-off
    requests.post(url, json=body, verify=False, timeout=5)
    # ruleid: sanzhang-tls-verification-off
    httpx.Client(verify=False)
    # ruleid: sanzhang-tls-verification-off
    urllib.request.urlopen(url, context=ssl._create_unverified_context())
    context = ssl.create_default_context()
    # ruleid: sanzhang-tls-verification-off
    context.check_hostname = False
    # ruleid: sanzhang-tls-verification-off
    context.verify_mode = ssl.CERT_NONE
    # ruleid: sanzhang-tls-verification-off
    urllib3.disable_warnings()
    # ok: sanzhang-tls-verification-off
    requests.post(url, json=body, timeout=5)
    # ok: sanzhang-tls-verification-off
    requests.post(url, json=body, verify="/etc/ssl/county-ca.pem", timeout=5)
    # ok: sanzhang-tls-verification-off
    urllib.request.urlopen(url, context=ssl.create_default_context(), timeout=5)
