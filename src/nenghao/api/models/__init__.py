"""Response models of the API routes whose answers are built by the services below it.

Each model states the JSON a route answers, field by field, so that the OpenAPI document
describes it and the web's types are generated from it. Models small enough to sit beside
their router (``EnterpriseOut``, ``UserOut``, ...) stay there.
"""
