// placeholder: the example is written with its issue
export {};
