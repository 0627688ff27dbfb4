# tests/lab/ adds its files here
