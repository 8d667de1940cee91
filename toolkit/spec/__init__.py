"""The spec model: what a message is before it is linted, built or previewed.

- :mod:`.catalogue`: the premade templates, items and buttons (data in ``template_library/``);
- :mod:`.schemas`: the JSON Schemas in ``schemas/`` and the per-template body schema;
- :mod:`.source`: reading JSON files safely, with line and column for every path;
- :mod:`.message`: telling specs from API bodies and turning a spec into bodies, one per sample;
- :mod:`.placeholders` and :mod:`._sandbox`: Jinja2 placeholders and the budgets they render in;
- :mod:`.phone`: phone numbers to LINE's recipient digest.

Nothing here imports the rules, the lint engine, the renderer or the CLI.
"""
