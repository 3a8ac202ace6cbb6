"""The HTTP edge shared by the functions: one error shape, principals and roles."""
