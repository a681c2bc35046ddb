"""Data access for items and users (sqlite3)."""
import sqlite3

from flask import current_app, g


def get_db():
    if "db" not in g:
        g.db = sqlite3.connect(current_app.config["SQLITE_PATH"])
        g.db.row_factory = sqlite3.Row
    return g.db


def search_items(term):
    db = get_db()
    return db.execute(f"SELECT id, name, qty FROM items WHERE name LIKE '%{term}%'").fetchall()  # expect: CWE-89


def get_item(item_id):
    db = get_db()
    return db.execute("SELECT id, name, qty FROM items WHERE id = ?", (item_id,)).fetchone()  # safe: CWE-89


def create_user(username, password_hash):
    db = get_db()
    db.execute("INSERT INTO users (username, password_hash) VALUES (?, ?)", (username, password_hash))  # safe: CWE-89
    db.commit()
