"""HTTP calls to the warehouse and to partner catalogues."""
from urllib.parse import urlparse

import requests


def fetch_partner_feed(url, allowed_hosts):
    parsed = urlparse(url)
    if parsed.scheme != "https" or parsed.hostname not in allowed_hosts or parsed.username or "\\" in url:
        raise ValueError("partner host not allowed")
    return requests.get(url, timeout=10)  # safe: CWE-918


def fetch_image(url):
    return requests.get(url, timeout=10)  # expect: CWE-918


def warehouse_stock(base_url, token, sku):
    return requests.get(f"{base_url}/stock", params={"sku": sku}, headers={"Authorization": f"Bearer {token}"}, verify=False, timeout=10)  # expect: CWE-295


def warehouse_health(base_url):
    return requests.get(f"{base_url}/health", verify="/etc/ssl/certs/internal-ca.pem", timeout=10)  # safe: CWE-295
