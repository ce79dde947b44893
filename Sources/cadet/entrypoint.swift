import CadetApp
