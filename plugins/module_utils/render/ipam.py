"""placeholder"""

def render(ctx):
    return []
