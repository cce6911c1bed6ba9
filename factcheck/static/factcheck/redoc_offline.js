// ReDoc's bundle shows its makers' logo from their CDN (https://cdn.redoc.ly/redoc/logo-mini.svg) in the side menu,
// and no option turns it off: offline it cannot load, and the docs' policy refuses it with a console error. Loaded
// before the bundle, this gives any image pointed at that CDN an empty picture of our own instead, so the docs ask
// nothing of another host. The link to Redocly and its words stay.
(function () {
  "use strict";
  var CDN = /^https?:\/\/cdn\.redoc\.ly\//i;
  var EMPTY = "data:image/svg+xml,%3Csvg%20xmlns%3D%27http%3A%2F%2Fwww.w3.org%2F2000%2Fsvg%27%20width%3D%271%27%20height%3D%271%27%2F%3E"; // a blank square, the logo's size
  var image = HTMLImageElement.prototype;
  var setAttribute = Element.prototype.setAttribute;

  function local(value) {
    return CDN.test(String(value)) ? EMPTY : value;
  }

  // React writes an image's src with setAttribute; a script could also assign the property.
  image.setAttribute = function (name, value) {
    return setAttribute.call(this, name, String(name).toLowerCase() === "src" ? local(value) : value);
  };
  var src = Object.getOwnPropertyDescriptor(image, "src");
  Object.defineProperty(image, "src", {
    configurable: true,
    enumerable: src.enumerable,
    get: src.get,
    set: function (value) {
      src.set.call(this, local(value));
    },
  });
})();
