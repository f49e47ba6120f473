#!/usr/bin/env python3
"""Fails when a library or tool file includes a header from a layer above its own.

The layers, lowest first, are the table of docs/guide.md ("Layers"); this
script reads that table, so the guide and the check cannot disagree. A file's
layer is its folder under src/, include/brine/ or tools/; a file at the top of
include/brine/ or src/ is in the layer whose row names it (error.hpp covers
src/error.cpp too). Tests, benchmarks and examples may include anything.
"""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parents[2]).resolve()


def layer_table():
    """The guide's table, lowest layer first: [(layer, [folder/ or top-level file])]."""
    text = (root / 'docs/guide.md').read_text()
    section = text.split('## Layers', 1)[1].split('\n## ', 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        if len(cells) >= 2 and re.fullmatch(r'\w+', cells[0]) and cells[0] != 'layer':
            rows.append((cells[0], re.findall(r'`([^`]+)`', cells[1])))
    if not rows:
        sys.exit('check_layers: no layer table found in docs/guide.md')
    return rows


rows = layer_table()
rank = {name: i for i, (name, _) in enumerate(rows)}
# Folders (include/brine/<f>, src/<f>, tools/<f>) and top-level files
# (include/brine/<stem>.hpp, src/<stem>.cpp), each to its layer.
folder_layer = {f.rstrip('/'): name for name, items in rows for f in items if f.endswith('/')}
file_layer = {pathlib.PurePath(f).stem: name for name, items in rows for f in items if not f.endswith('/')}


def layer_of(rel):
    """The layer of a path relative to the root (a file or an include target)."""
    for prefix in ('include/brine/', 'src/', ''):
        if not rel.startswith(prefix):
            continue
        rest = rel[len(prefix):]
        if prefix and '/' not in rest:
            return file_layer.get(pathlib.PurePath(rest).stem)
        # The longest folder prefix wins (tools/brine before tools).
        for folder in sorted(folder_layer, key=len, reverse=True):
            if rest.startswith(folder + '/'):
                return folder_layer[folder]
    return None


include_re = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def resolve(src, bracket, target):
    """The repository path an include names, or None for system headers."""
    if bracket == '<':
        return 'include/' + target if target.startswith('brine/') else None
    for base in (src.parent, root / 'src', root / 'include'):
        candidate = base / target
        if candidate.exists():
            return str(candidate.resolve().relative_to(root))
    return None  # a generated header (codec/engines.h): not a layer question


problems = []
checked = 0
for tree in ('include/brine', 'src', 'tools'):
    for path in sorted((root / tree).rglob('*')):
        if path.suffix not in ('.hpp', '.cpp', '.h'):
            continue
        rel = str(path.relative_to(root))
        own = layer_of(rel)
        if own is None:
            problems.append(f'{rel}: in no layer of the table in docs/guide.md')
            continue
        checked += 1
        for bracket, target in include_re.findall(path.read_text()):
            dep = resolve(path, bracket, target)
            if dep is None:
                continue
            dep_layer = layer_of(dep)
            if dep_layer is None:
                problems.append(f'{rel}: includes {target}, which is in no layer')
            elif rank[dep_layer] > rank[own]:
                problems.append(f'{rel} ({own}) includes {target} ({dep_layer}), a layer above it')

for p in problems:
    print(p)
print(f'check_layers: {checked} files, {len(problems)} problems')
sys.exit(1 if problems else 0)
