# tests/ adds its files here
