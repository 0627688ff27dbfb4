# lookups/ adds its files here
