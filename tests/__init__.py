"""Marsad tests; helpers (`webserver`, `loopback`, `delivery_world`, `prefect_server`) are imported as `tests.X`."""
