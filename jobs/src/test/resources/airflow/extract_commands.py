"""Prints, as JSON, every command a DAG file would submit, without Airflow installed.

Usage: extract_commands.py DAG_FILE ds=YYYY-MM-DD [NAME=VALUE ...]
ds=... renders the `{{ ds }}` template as Airflow does before bash sees the command (any other
template left is an error). NAME=VALUE replaces a module-level string constant before evaluation (e.g. HALLMARK_HOME=/repo,
so the DAG's --conf-file points at the repository's conf/ folder in the test).

Output: {"dag": {...DAG(...) keyword constants...}, "default_args": {...}, "tasks": [
  {"task_id": ..., "operator": ..., "command": "...", "argv": [...]}]}
Only what the DAG needs is evaluated: string constants, module-level names, +, parentheses,
" ".join([...]); anything else is an error naming the line, so the test fails loudly rather than
skipping a command it could not read.
"""
import ast
import json
import shlex
import sys

OPERATORS = {"BashOperator": "bash_command", "SparkSubmitOperator": None}


class Unsupported(Exception):
    pass


def evaluate(node, env):
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        if node.id not in env:
            raise Unsupported(f"line {node.lineno}: unknown name {node.id}")
        return env[node.id]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return evaluate(node.left, env) + evaluate(node.right, env)
    if isinstance(node, (ast.List, ast.Tuple)):
        return [evaluate(e, env) for e in node.elts]
    if isinstance(node, ast.Dict):
        return {evaluate(k, env): evaluate(v, env) for k, v in zip(node.keys, node.values)}
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "join"
            and len(node.args) == 1):
        return evaluate(node.func.value, env).join(evaluate(node.args[0], env))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("timedelta", "datetime"):
        return f"{node.func.id}({', '.join(ast.unparse(a) for a in node.args + node.keywords)})"
    raise Unsupported(f"line {node.lineno}: cannot evaluate {ast.unparse(node)}")


def call_name(call):
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None


def main():
    path = sys.argv[1]
    overrides = dict(a.split("=", 1) for a in sys.argv[2:])
    ds = overrides.pop("ds")
    tree = ast.parse(open(path, encoding="utf-8").read(), filename=path)
    env = {}
    for stmt in tree.body:  # module-level constants, in order (later ones may use earlier ones)
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            name = stmt.targets[0].id
            if name in overrides:
                env[name] = overrides[name]
                continue
            try:
                env[name] = evaluate(stmt.value, env)
            except Unsupported:
                pass  # not a constant; only an error if a command uses it
    result = {"dag": {}, "default_args": env.get("default_args", {}), "tasks": []}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = call_name(node)
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        if name == "DAG":
            result["dag"] = {k: evaluate(v, env) for k, v in keywords.items()}
        elif name in OPERATORS:
            if name == "BashOperator":
                command = evaluate(keywords["bash_command"], env).replace("{{ ds }}", ds)
                if "{{" in command:
                    raise Unsupported(f"line {node.lineno}: template other than {{{{ ds }}}} in {command}")
                argv = shlex.split(command)
            else:  # SparkSubmitOperator(application=..., application_args=[...], java_class=...)
                argv = (["spark-submit", "--class", evaluate(keywords["java_class"], env),
                         evaluate(keywords["application"], env)] + [a.replace("{{ ds }}", ds) for a in evaluate(keywords["application_args"], env)])
                command = shlex.join(argv)
            result["tasks"].append({"task_id": evaluate(keywords["task_id"], env), "operator": name,
                                    "command": command, "argv": argv})
    json.dump(result, sys.stdout, indent=1)


if __name__ == "__main__":
    try:
        main()
    except Unsupported as e:
        print(f"extract_commands.py: {e}", file=sys.stderr)
        sys.exit(3)
