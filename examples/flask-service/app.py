"""Inventory service: item search, labels, uploads and partner feeds."""
import hashlib
import os

import yaml
from flask import Flask, abort, jsonify, redirect, request, send_file, send_from_directory, url_for
from werkzeug.utils import secure_filename

import db
from config import Config
from services import remote, tools

app = Flask(__name__)
app.config.from_object(Config)


def hash_password(password):
    return hashlib.md5(password.encode()).hexdigest()  # expect: CWE-916


def etag_for(payload):
    return hashlib.md5(payload, usedforsecurity=False).hexdigest()  # safe: CWE-328


@app.get("/items")
def list_items():
    rows = db.search_items(request.args.get("q", ""))
    return jsonify([dict(r) for r in rows])


@app.get("/items/<int:item_id>")
def item(item_id):
    row = db.get_item(item_id)
    if row is None:
        abort(404)
    body = jsonify(dict(row))
    body.set_etag(etag_for(body.get_data()))
    return body


@app.post("/users")
def create_user():
    data = request.get_json()
    db.create_user(data["username"], hash_password(data["password"]))
    return jsonify(ok=True), 201


@app.post("/labels")
def labels():
    sku = request.form["sku"]
    out = os.path.join("/tmp", "label-" + secure_filename(sku))
    tools.barcode_png(sku, out + ".png")
    tools.label_pdf(sku, out + ".pdf")
    tools.qr_png(sku, out + ".qr.png")
    return send_file(out + ".pdf")  # safe: CWE-22


@app.post("/uploads")
def upload():
    f = request.files["file"]
    f.save(os.path.join(app.config["UPLOAD_DIR"], secure_filename(f.filename)))  # safe: CWE-22
    return jsonify(ok=True), 201


@app.get("/uploads/<path:name>")
def get_upload(name):
    return send_from_directory(app.config["UPLOAD_DIR"], name)  # safe: CWE-22


@app.get("/exports")
def export():
    name = request.args.get("name", "inventory.csv")
    return send_file(os.path.join(app.config["UPLOAD_DIR"], "exports", name))  # expect: CWE-22


@app.post("/import")
def import_items():
    doc = yaml.load(request.get_data(), Loader=yaml.Loader)  # expect: CWE-502
    return jsonify(count=len(doc or []))


@app.post("/import/preview")
def import_preview():
    doc = yaml.safe_load(request.get_data())  # safe: CWE-502
    return jsonify(count=len(doc or []))


@app.get("/partners/feed")
def partner_feed():
    r = remote.fetch_partner_feed(request.args["url"], app.config["PARTNER_HOSTS"])
    return jsonify(status=r.status_code)


@app.get("/images/proxy")
def image_proxy():
    r = remote.fetch_image(request.args["src"])
    return r.content, r.status_code, {"Content-Type": "application/octet-stream"}


@app.get("/stock/<sku>")
def stock(sku):
    r = remote.warehouse_stock(app.config["WAREHOUSE_API"], app.config["WAREHOUSE_TOKEN"], sku)
    remote.warehouse_health(app.config["WAREHOUSE_API"])
    return jsonify(r.json())


@app.get("/login/done")
def login_done():
    return redirect(request.args.get("next", "/"))  # expect: CWE-601


@app.get("/logout")
def logout():
    return redirect(url_for("list_items"))  # safe: CWE-601
