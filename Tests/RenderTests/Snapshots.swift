// Snapshot of `LayoutTests.displayListSnapshot` (regenerate: RENDER_UPDATE_SNAPSHOTS=1 swift test --filter displayListSnapshot,
// then paste the printed text here). Kept inline so the test target needs no resource declaration.
enum Snapshots {
    static let smallFigureDisplayList = #"""
fill #ffffff M0,0 L144,0 L144,108 L0,108 Z
clip [22.6 2.93 119.4×77.34]
stroke #0072b2 w=1.25 M28.02,76.75 L82.3,59.17 L136.57,6.44
clip none
stroke #262626 w=0.6 M22.6,2.93 L142,2.93 L142,80.27 L22.6,80.27 Z
stroke #262626 w=0.54 M28.02,80.27 L28.02,76.77 M28.02,2.93 L28.02,6.43 M82.3,80.27 L82.3,76.77 M82.3,2.93 L82.3,6.43 M136.57,80.27 L136.57,76.77 M136.57,2.93 L136.57,6.43 M22.6,76.75 L26.1,76.75 M142,76.75 L138.5,76.75 M22.6,41.6 L26.1,41.6 M142,41.6 L138.5,41.6 M22.6,6.44 L26.1,6.44 M142,6.44 L138.5,6.44
text 7.5pt #000000 center-top @28.02,83.64 "0"
text 7.5pt #000000 center-top @82.3,83.64 "1"
text 7.5pt #000000 center-top @136.57,83.64 "2"
text 7.5pt #000000 right-middle @19.22,76.75 "0"
text 7.5pt #000000 right-middle @19.22,41.6 "2"
text 7.5pt #000000 right-middle @19.22,6.44 "4"
text 8.5pt #000000 center-top @82.3,95.93 "x"
text 8.5pt #000000 center-bottom @12.07,41.6 rot=90 "y"
fill #ffffff@0.90 M26.35,6.68 L62.17,6.68 L62.17,22.91 L26.35,22.91 Z
stroke #cccccc w=0.5 M26.35,6.68 L62.17,6.68 L62.17,22.91 L26.35,22.91 Z
stroke #0072b2 w=1.25 M29.72,14.8 L47.72,14.8
text 7.5pt #000000 left-middle @52.22,14.8 "x<sup>2</sup>"
"""#
}
