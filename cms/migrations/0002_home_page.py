"""Replace Wagtail's welcome page with Latih's home page as the default site's root."""

from django.db import migrations


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("cms.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")

    Page.objects.filter(id=2).delete()  # Wagtail's "Welcome to your new Wagtail site!"
    home_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="cms")
    locale = Locale.objects.first()
    home = HomePage.objects.create(
        title="Latih", draft_title="Latih", slug="home", content_type=home_type,
        path="00010001", depth=2, numchild=0, url_path="/home/", locale=locale,
    )
    Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": home})


def remove_home_page(apps, schema_editor):
    apps.get_model("cms.HomePage").objects.filter(slug="home", depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [("cms", "0001_initial"), ("wagtailcore", "0094_alter_page_locale")]
    operations = [migrations.RunPython(create_home_page, remove_home_page)]
