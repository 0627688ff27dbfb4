# tui/ adds its files here
