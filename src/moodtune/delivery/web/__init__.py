"""The web page (static/: index.html, app.js, style.css), served by the API app at ``/``."""
