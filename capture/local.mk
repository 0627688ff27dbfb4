# capture/ adds its files here
