"""Extractors: each turns items into mention rows with offsets into the item's title or body."""
