# Vietnamese writes large numbers in groups of three, separated by dots
# (1.000.000); Django's own Vietnamese format has the separator but does not
# group, so a city-wide dashboard showed "1000000". Everything else comes
# from Django's format.
NUMBER_GROUPING = 3
THOUSAND_SEPARATOR = "."
