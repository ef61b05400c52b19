"""The household (Kartu Keluarga) as the secretariat knows it: finding one, and its page."""
