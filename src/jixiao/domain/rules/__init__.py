"""The checker's rules, one module per family; ``registry`` lists them all."""
