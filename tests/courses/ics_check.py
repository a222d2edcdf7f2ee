"""An independent reading of iCalendar files for the tests: RFC 5545 lines by hand, and vobject."""

import vobject


def content_lines(data: bytes):
    """Unfolded (name, params, value) lines, after checking CRLF endings and the 75-octet limit."""
    assert data.endswith(b"\r\n"), "an iCalendar file ends with CRLF"
    physical = data.split(b"\r\n")[:-1]
    for line in physical:
        assert b"\n" not in line and b"\r" not in line, "bare LF or CR inside a line"
        assert len(line) <= 75, "line longer than 75 octets: %r" % line
    unfolded = []
    for line in physical:
        if line[:1] in (b" ", b"\t"):
            unfolded[-1] += line[1:]
        else:
            unfolded.append(line)
    result = []
    for line in unfolded:
        text = line.decode("utf-8")
        head, _, value = text.partition(":")
        name, *params = head.split(";")
        result.append((name.upper(), dict(p.split("=", 1) for p in params), value))
    return result


def components(data: bytes):
    """{component name: [ {property: [(params, value), …]} , … ]} with BEGIN/END balance checked."""
    stack, found = [], {}
    for name, params, value in content_lines(data):
        if name == "BEGIN":
            stack.append((value, {}))
        elif name == "END":
            component, props = stack.pop()
            assert component == value, "END:%s closes BEGIN:%s" % (value, component)
            found.setdefault(component, []).append(props)
        else:
            stack[-1][1].setdefault(name, []).append((params, value))
    assert not stack, "unclosed components"
    return found


def one(props, name):
    """The single value of property ``name``."""
    values = props.get(name, [])
    assert len(values) == 1, "%s appears %d times" % (name, len(values))
    return values[0][1]


def parse(data: bytes):
    """The calendar as vobject reads it."""
    return vobject.readOne(data.decode("utf-8"))
