"""Thin wrappers around command-line tools installed on the host."""
import shlex
import subprocess


def barcode_png(sku, out_path):
    # Builds a shell command from the SKU the client sent.
    cmd = f"zint --barcode=20 --data={sku} --output={out_path}"
    return subprocess.run(cmd, shell=True, check=True)  # expect: CWE-78


def label_pdf(sku, out_path):
    cmd = "labelgen --sku " + shlex.quote(sku) + " --out " + shlex.quote(out_path)
    return subprocess.run(cmd, shell=True, check=True)  # safe: CWE-78


def qr_png(sku, out_path):
    return subprocess.run(["qrencode", "-o", out_path, "--", sku], check=True)  # safe: CWE-78
