"""Monitoring and evaluation: the annual activity plan and budget of the secretariat, its Puskesos
and districts, their realisation through the year, each Puskesos's own figures, and the
year-end evaluation (Cianjur Tugas SLRT a and j; Batu Bara Pasal 19 ayat (4) and 20;
Payakumbuh Pasal 7 ayat (1) huruf a and k, ayat (2) huruf a; Palembang Pasal 26–27).
"""
