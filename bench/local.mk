# bench/ adds its files here
