import CCairo
import CPangoCairo
public enum CairoProbe { public static var version: String { String(cString: cairo_version_string()) } 
  public static var pangoVersion: String { String(cString: pango_version_string()) } }
