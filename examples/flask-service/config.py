"""Settings for the inventory service."""
import os


class Config:
    SECRET_KEY = "c7f1e9a24b8d4f3e96a05d1b2e7c8f40"  # expect: CWE-321
    SQLITE_PATH = os.environ.get("INVENTORY_DB", "/var/lib/inventory/inventory.db")
    UPLOAD_DIR = os.environ.get("INVENTORY_UPLOADS", "/var/lib/inventory/uploads")
    WAREHOUSE_API = "https://warehouse.internal.example.com"
    WAREHOUSE_TOKEN = os.environ["WAREHOUSE_TOKEN"]  # safe: CWE-798
    PARTNER_HOSTS = {"api.partner-one.example", "feeds.partner-two.example"}
