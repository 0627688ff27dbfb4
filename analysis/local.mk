# analysis/ adds its files here
